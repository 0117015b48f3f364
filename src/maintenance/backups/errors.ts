import { AppError } from '../../platform/errors.js';

/** The bytes are not what was written: report, never restore. */
export class CorruptBackupError extends AppError {
  constructor(id: string, problem: string) {
    super(422, 'corrupt_backup', `Backup ${id} is corrupt (${problem}); it was not restored`, { id, problem });
  }
}
