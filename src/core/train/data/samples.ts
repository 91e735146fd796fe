/** One image as a run uses it: where it is, how its decode is cached, and its class index. */
export interface RunSample {
  id: number;
  path: string;
  /** Content key of the decode cache (the library's content hash when known). */
  key: string;
  label: number;
}

export interface RunSets {
  train: RunSample[];
  val: RunSample[];
  test: RunSample[];
}
