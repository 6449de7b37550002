import {
  RawNode,
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
 * Counts the queries that may write through one store's Kysely handle (and its transactions),
 * before they run and again when they have run, so a reader in the same process (the lookup
 * index) can tell cheaply, without a query, that the store may have changed since it last looked.
 * Counting before and after covers a reader that looks while the write waits for its connection.
 */
export class WriteWatch implements KyselyPlugin {
  #writes = 0;
  readonly #pending = new WeakSet<QueryId>();

  /** Queries that may have written so far (twice each: when sent and when answered). */
  get writes(): number {
    return this.#writes;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (mayWrite(args.node)) {
      this.#writes++;
      this.#pending.add(args.queryId);
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.has(args.queryId)) {
      this.#pending.delete(args.queryId);
      this.#writes++;
    }
    return Promise.resolve(args.result);
  }
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
