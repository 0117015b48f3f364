export {
  createJobQueue,
  QUEUE_DEFAULTS,
  type Job,
  type JobInfo,
  type JobQueue,
  type JobQueueHealth,
  type JobQueueOptions,
  type JobState,
  type QueueKind,
  type QueuePolicy,
} from './queue.js';
export {
  runSingleton,
  singletonLockKey,
  DEFAULT_SINGLETON_RETRY_MS,
  type SingletonHandle,
  type SingletonOptions,
} from './singleton.js';
