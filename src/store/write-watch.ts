import {
  RawNode,
  type Dialect,
  SelectQueryNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** Whether a query node may write: anything but a builder select or a raw `select …`. */
function mayWrite(node: RootOperationNode): boolean {
  if (SelectQueryNode.is(node)) return false;
  if (RawNode.is(node)) return !/^\s*select\b/i.test(node.sqlFragments[0] ?? '');
  return true;
}

/**
 * Counts, for one store's Kysely handle (and its transactions), the queries that may have written
 * once they are answered and the transactions once committed (watchCommits), so a reader in the
 * same process (the lookup index) can tell cheaply, without a query, that the store may have
 * changed since it last looked. Counting at commit matters on PostgreSQL: a reader that looked
 * while a transaction was open saw none of it, and must look again once it commits.
 */
export class WriteWatch implements KyselyPlugin {
  #writes = 0;
  readonly #pending = new WeakSet<QueryId>();

  /** Queries that may have written and transactions committed, so far. */
  get writes(): number {
    return this.#writes;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (mayWrite(args.node)) this.#pending.add(args.queryId);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.has(args.queryId)) {
      this.#pending.delete(args.queryId);
      this.#writes++;
    }
    return Promise.resolve(args.result);
  }

  /** Records that a transaction committed. */
  committed(): void {
    this.#writes++;
  }
}

/**
 * `dialect` with its driver's commitTransaction counted by `watch` (after the commit returned).
 */
export function watchCommits(dialect: Dialect, watch: WriteWatch): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      const driver = dialect.createDriver();
      const commit = driver.commitTransaction.bind(driver);
      driver.commitTransaction = async (connection) => {
        await commit(connection);
        watch.committed();
      };
      return driver;
    },
  };
}

const watches = new WeakMap<object, WriteWatch>();

/** Registers `watch` as the write watch of the store handle `db` (createStore does). */
export function registerWriteWatch(db: object, watch: WriteWatch): void {
  watches.set(db, watch);
}

/**
 * The number of queries that may have written through store handle `db` so far, or undefined for
 * a handle createStore did not make (a transaction, another library's handle): then the caller
 * cannot know and must poll.
 */
export function writesThrough(db: object): number | undefined {
  return watches.get(db)?.writes;
}
