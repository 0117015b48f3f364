import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from 'react';

/** A SegmentedControl with a visible label above it (Mantine's has none), named by that label for screen readers. */
export function SegmentedField<T extends string>({
  label,
  value,
  onChange,
  data,
}: {
  label: string;
  value: T;
  onChange: (value: T) => void;
  data: ReadonlyArray<{ value: T; label: string }>;
}) {
  const labelId = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={labelId} value={value} onChange={(next) => onChange(next as T)} data={[...data]} />
    </Stack>
  );
}
