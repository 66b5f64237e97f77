// Public exports of the clock area (re-exported by src/index.ts). Explicit names only.
export { type Clock, systemClock, type TimerHandle } from './clock.js';
export { FakeClock } from './fake-clock.js';
