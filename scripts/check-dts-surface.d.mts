// Types of check-dts-surface.mjs, for the test that imports it.
export interface InternalNames {
  /** Top-level declarations that must not ship (tagged @internal, or used only by @internal members). */
  topLevel: Set<string>;
  /** `Container.member` pairs tagged @internal. */
  members: Set<string>;
}
export function internalNames(srcDirs: string[]): InternalNames;
export function leaks(dtsText: string, fileName: string, internal: InternalNames): string[];
