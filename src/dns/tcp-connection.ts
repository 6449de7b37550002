/**
 * One DNS-over-TCP connection (RFC 7766, RFC 1035 §4.2.2 two-octet length prefix), with the bounds
 * a server facing any client needs: queries are answered in order, at most TCP_MAX_OUTSTANDING
 * are read ahead of their answers, each answer message is written only once the client has taken
 * the previous ones, and the connection has an idle and a total time limit.
 */
import type { Socket } from 'node:net';

/**
 * Queries read from one TCP connection and not yet answered (RFC 7766 §6.2.1.1 pipelining): at
 * this many the connection is not read further until one is answered, so a client pipelining
 * thousands of queries is held back by TCP flow control instead of costing memory here.
 */
export const TCP_MAX_OUTSTANDING = 16;

/** What serveTcpConnection needs besides the socket. */
export interface TcpConnectionOptions {
  /** Closed after this long without traffic either way, ms. */
  readonly idleMs: number;
  /** Closed after this long in all, however busy, ms. */
  readonly maxConnectionMs: number;
  /** Told of an answer that failed (the connection is then closed). */
  readonly onError: (error: unknown) => void;
}

/** The state of one connection, for tests and diagnostics. */
export interface TcpConnectionState {
  /** Queries read and not yet answered in full. */
  readonly outstanding: number;
  /** Answer messages taken from `answer`'s iterables so far. */
  readonly messagesWritten: number;
}

/**
 * Serves DNS queries on `socket`: each length-prefixed message is given to `answer`, whose reply
 * messages (an iterable, taken lazily: a zone transfer's messages are made one at a time) are
 * written length-prefixed in query order. A reply message is written only after the socket has
 * drained the previous ones (backpressure), so a client that reads slowly holds the transfer back
 * instead of the server buffering it whole. At TCP_MAX_OUTSTANDING unanswered queries the socket
 * is paused. Closed after `idleMs` of silence, after `maxConnectionMs` in all, or on an error.
 * @returns the connection's live state.
 */
export function serveTcpConnection(
  socket: Socket,
  answer: (message: Buffer) => Promise<Iterable<Buffer>>,
  options: TcpConnectionOptions,
): TcpConnectionState {
  const state = { outstanding: 0, messagesWritten: 0 };
  socket.setTimeout(options.idleMs, () => socket.destroy());
  const lifetime = setTimeout(() => socket.destroy(), options.maxConnectionMs);
  lifetime.unref();
  socket.on('close', () => clearTimeout(lifetime));
  socket.on('error', () => socket.destroy());
  let pending = Buffer.alloc(0);
  let chain = Promise.resolve();

  const reply = async (message: Buffer): Promise<void> => {
    // A query read before the connection closed is not answered (a zone transfer reads the zone).
    if (socket.destroyed) return;
    for (const part of await answer(message)) {
      if (socket.destroyed) return;
      state.messagesWritten += 1;
      const frame = Buffer.alloc(2);
      frame.writeUInt16BE(part.length);
      if (!socket.write(Buffer.concat([frame, part])) && !(await drained(socket))) return;
    }
  };
  const readQueries = (): void => {
    if (socket.destroyed) {
      pending = Buffer.alloc(0);
      return;
    }
    while (state.outstanding < TCP_MAX_OUTSTANDING && pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      const message = Buffer.from(pending.subarray(2, 2 + length));
      pending = pending.subarray(2 + length);
      state.outstanding += 1;
      chain = chain
        .then(() => reply(message))
        .catch((error: unknown) => {
          options.onError(error);
          socket.destroy();
        })
        .finally(() => {
          state.outstanding -= 1;
          readQueries();
        });
    }
    if (state.outstanding >= TCP_MAX_OUTSTANDING) socket.pause();
    else if (socket.isPaused()) socket.resume();
  };
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    readQueries();
  });
  return state;
}

/** Resolves when `socket` has drained its write buffer (true), or false when it closed first. */
function drained(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}
