// Small helpers for the maps of lists the planner and renderers build over every node.

/** Appends `value` to the list under `key`, in place: large trees make spreading a copy quadratic. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
