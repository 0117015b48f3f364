import { Checkbox, Text } from '@mantine/core';
import { useState } from 'react';
import type { Run, RunCheck } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { useTickCheck } from './queries.js';

/** A manual check of the run ("- [ ] Verify the pods are ready"): ticked by a person, recorded with who and when. */
export function CheckItem({ run, check, canTick, nameOf }: { run: Run; check: RunCheck; canTick: boolean; nameOf: (id: string | null) => string }) {
  const tick = useTickCheck(run.id, check.id);
  // Shown at once: the mutation's own pending state arrives a tick later, and the box would flick back meanwhile.
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  const checked = optimistic ?? check.checked;
  return (
    <li data-testid="run-check" data-check-id={check.id} data-checked={check.checked}>
      <Checkbox
        label={check.text}
        checked={checked}
        disabled={!canTick || run.status === 'cancelled' || tick.isPending}
        onChange={(event) => {
          const next = event.currentTarget.checked;
          setOptimistic(next);
          tick.mutate(next, { onSettled: () => setOptimistic(null) });
        }}
        description={check.checked && check.checkedAt ? `Ticked by ${nameOf(check.checkedBy)} on ${formatDateTime(check.checkedAt)}` : undefined}
      />
      {tick.isError && (
        <Text component="div" mt={4}>
          <ErrorNotice error={tick.error} title="The check did not change" />
        </Text>
      )}
    </li>
  );
}
