import type { BackupSummary } from '../api/types.js';

export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** What a person needs of a backup's verification at a glance. */
export function verification(b: Pick<BackupSummary, 'verifyOk' | 'verifiedAt'>): { label: string; color: string } {
  if (b.verifyOk === null) return { label: 'not verified', color: 'gray' };
  return b.verifyOk ? { label: 'verified', color: 'green' } : { label: 'failed', color: 'red' };
}
