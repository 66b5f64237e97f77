import type { JobsClientError } from '../client/jobs-client-error.js';

/**
 * What a hook knows about one piece of server data. `loading` is true until the first answer;
 * `fetching` whenever a request is in flight (a refresh keeps the previous `data` on screen).
 */
export interface ResourceState<T> {
  data: T | undefined;
  error: JobsClientError | undefined;
  loading: boolean;
  fetching: boolean;
  /** When the last answer arrived (epoch ms), or 0. */
  updatedAt: number;
}

/** The state of a resource nobody fetched yet. */
export const INITIAL_STATE: ResourceState<never> = Object.freeze({
  data: undefined,
  error: undefined,
  loading: true,
  fetching: false,
  updatedAt: 0,
});
