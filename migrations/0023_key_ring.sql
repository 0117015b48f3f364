CREATE TABLE "secret_rotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"mode" text NOT NULL,
	"grace_seconds" integer,
	"verifies_until" timestamp with time zone,
	"key_id" uuid NOT NULL,
	"keys_retired" integer NOT NULL,
	"sessions_revoked" integer NOT NULL,
	"tokens_revoked" integer NOT NULL,
	"kubernetes_secret" boolean NOT NULL,
	CONSTRAINT "secret_rotations_mode_valid" CHECK ("secret_rotations"."mode" IN ('grace', 'revoke'))
);
--> statement-breakpoint
CREATE TABLE "key_ring" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"use" text NOT NULL,
	"purpose" text,
	"legacy" boolean DEFAULT false NOT NULL,
	"wraps" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"not_after" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "key_ring_use_valid" CHECK ("key_ring"."use" IN ('signing', 'data')),
	CONSTRAINT "key_ring_purpose_valid" CHECK (("key_ring"."use" = 'data') = ("key_ring"."purpose" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "secret_rotations_at_idx" ON "secret_rotations" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "key_ring_one_current" ON "key_ring" USING btree ("use") WHERE "key_ring"."use" = 'signing' AND "key_ring"."not_after" IS NULL AND "key_ring"."revoked_at" IS NULL;