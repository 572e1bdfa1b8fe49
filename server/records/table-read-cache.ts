/**
 * Answers of reads kept per table until that table is written. Only for an instance whose one
 * process owns its SQLite file: every write to a record then passes through this process's
 * RecordService, which forgets the table's answers inside the write (before it commits, and
 * still forgotten if it rolls back). With several processes on PostgreSQL a write elsewhere
 * would not be seen, so the record service does not use it there.
 */
export class TableReadCache<V> {
  private readonly byTable = new Map<string, Map<string, V>>();

  constructor(
    /** Answers kept per table before they are all dropped (flows look up a few names and groups). */
    private readonly perTable = 1000,
  ) {}

  get(table: string, key: string): V | undefined {
    return this.byTable.get(table)?.get(key);
  }

  set(table: string, key: string, value: V): void {
    let answers = this.byTable.get(table);
    if (!answers || answers.size >= this.perTable) {
      answers = new Map();
      this.byTable.set(table, answers);
    }
    answers.set(key, value);
  }

  forget(table: string): void {
    this.byTable.delete(table);
  }
}
