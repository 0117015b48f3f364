CREATE TABLE "table_versions" (
	"name" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Raised in the writing transaction, so a reader sees a new version exactly when it can see the write.
CREATE FUNCTION "nexus_bump_table_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "table_versions" ("name", "version") VALUES (TG_TABLE_NAME, 1)
  ON CONFLICT ("name") DO UPDATE SET "version" = "table_versions"."version" + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
INSERT INTO "table_versions" ("name", "version") VALUES ('users', 0);--> statement-breakpoint
CREATE TRIGGER "users_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "nexus_bump_table_version"();
