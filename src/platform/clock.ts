/** What every service asks for the time: tests pass a fake one to move SLA clocks and escalations without sleeping. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
