/** Called once per SQL statement the ORM sends; used by the statement-count tests and metrics. */
export type QueryListener = (sql: string) => void;

const queryListeners = new Set<QueryListener>();

/** Registers a listener for every SQL statement; returns the function that removes it. */
export function onQuery(listener: QueryListener): () => void {
  queryListeners.add(listener);
  return () => queryListeners.delete(listener);
}

/** Tells the listeners about a statement sent outside the ORM (src/read/driver.ts). */
export function notifyQuery(sql: string): void {
  for (const listener of queryListeners) listener(sql);
}
