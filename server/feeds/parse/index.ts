export { BodyError } from './types';
export type { ItemError, ParseOptions, Parsed, ParsedItem } from './types';
export { parseJsonBody } from './json';
export { parseDoseBody } from './doses';
export { parseSessions } from './sessions';
export { parseSmsMessages, parseSmsReports } from './sms';
export { parseAppointments } from './appointments';
export { parseHeartbeats } from './heartbeats';
export { parseHealthSamples } from './health';
