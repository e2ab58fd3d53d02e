/** What the footer and the help show of a key table. */
export interface KeyHelpEntry {
  keys: string;
  does: string;
  footer: boolean;
}

export interface ShownKeys {
  entries: KeyHelpEntry[];
  /** A text field has the focus: '?' and 'q' are typed, not help and quit. */
  capturesText: boolean;
}

/**
 * The published key tables, newest last (the footer and the help show the newest). Not React state:
 * tables are published while React commits (before Ink draws the frame), and the footer reads the store
 * when the frame is drawn, so a screen's first frame already carries its keys (state set after the
 * commit would reach the footer one frame late, and Ink draws every commit).
 */
export class ShownKeysStore {
  private tables: {id: symbol; shown: ShownKeys}[] = [];

  publish(id: symbol, shown: ShownKeys): void {
    this.tables = [...this.tables.filter(table => table.id !== id), {id, shown}];
  }

  withdraw(id: symbol): void {
    this.tables = this.tables.filter(table => table.id !== id);
  }

  /** The keys that work now, or undefined while no screen has published a table. */
  current(): ShownKeys | undefined {
    return this.tables.at(-1)?.shown;
  }
}
