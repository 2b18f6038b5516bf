import { VectorConfigurationError } from '../../errors';
import type { PgliteInstance } from './pglite-options';
import type { PglitePackages } from './pglite-packages';

/** The bridge connection of `@electric-sql/pglite/node-postgres`, as far as the gate overrides it. */
interface BridgeConnection {
  on(event: string, listener: (message?: { status?: string }) => void): unknown;
  emit(event: string, ...args: unknown[]): boolean;
  query(text: unknown): void;
  parse(query: unknown): void;
  bind(config: unknown): void;
  execute(config: unknown): void;
  describe(message: unknown): void;
  close(message: unknown): void;
  flush(): void;
  sync(): void;
  end(): void;
  sendCopyFromChunk(chunk: unknown): void;
  endCopyFrom(): void;
  sendCopyFail(message: unknown): void;
}

type BridgeConnectionClass = new (config: { pglite: PgliteInstance }) => BridgeConnection;

/** The protocol messages a pg client sends; each one waits for the session. */
const SENDS = ['query', 'parse', 'bind', 'execute', 'describe', 'close', 'flush', 'sync', 'sendCopyFromChunk', 'endCopyFrom', 'sendCopyFail'] as const;

/**
 * PGlite's one PostgreSQL session, shared by several `pg` clients: a client takes the session for
 * a whole statement (from its first protocol message to the backend's ReadyForQuery) and, when the
 * statement leaves a transaction open, until that transaction ends, so statements of different
 * clients never interleave and nobody runs inside another client's transaction. A client that
 * waits longer than `waitMs` gets an error naming the cause instead of its result. A client closed
 * while it holds a transaction has it rolled back.
 *
 * @example
 * const session = new PgliteSession(database, 60_000, 'PGlite in ./db');
 * const Connection = session.connectionClass(PglitePgConnection); // pg Client config: { connection: new Connection({ pglite: database }) }
 */
export class PgliteSession {
  private owner: object | undefined;
  private readonly waiting: Array<{ connection: object; grant(): void }> = [];

  constructor(
    private readonly database: PgliteInstance,
    private readonly waitMs: number,
    private readonly where: string,
  ) {}

  /** A subclass of the bridge connection whose messages wait for this session. */
  connectionClass(Bridge: PglitePackages['PglitePgConnection']): BridgeConnectionClass {
    const session = this;
    const Base = Bridge as unknown as BridgeConnectionClass;
    class GatedConnection extends Base {
      private holding = false;
      private readonly pending: Array<() => void> = [];

      constructor(config: { pglite: PgliteInstance }) {
        super(config);
        // Registered before pg's own listener, so the session is free before pg sends its next statement.
        this.on('readyForQuery', (message) => {
          if (this.holding && message?.status === 'I') {
            this.holding = false;
            session.release(this);
          }
        });
      }

      override end(): void {
        if (this.holding) {
          this.holding = false;
          void session.rollBackFor(this);
        }
        super.end();
      }

      /** Sends `message` now if this connection holds the session, else once it does (or fails the statement). */
      gated(message: () => void): void {
        if (this.holding && this.pending.length === 0) return message();
        this.pending.push(message);
        if (this.pending.length > 1) return;
        session.acquire(this).then(
          () => {
            this.holding = true;
            for (const send of this.pending.splice(0)) send();
          },
          (error: Error) => {
            this.pending.length = 0;
            this.emit('errorMessage', error);
            this.emit('readyForQuery', { name: 'readyForQuery', status: 'I' });
          },
        );
      }
    }
    for (const name of SENDS) {
      const send = Base.prototype[name] as (this: BridgeConnection, ...args: unknown[]) => void;
      Object.defineProperty(GatedConnection.prototype, name, {
        value(this: GatedConnection, ...args: unknown[]) {
          this.gated(() => send.apply(this, args));
        },
      });
    }
    return GatedConnection;
  }

  private acquire(connection: object): Promise<void> {
    if (this.owner === undefined || this.owner === connection) {
      this.owner = connection;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        connection,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = this.waitMs > 0
        ? setTimeout(() => {
            this.waiting.splice(this.waiting.indexOf(entry), 1);
            reject(
              new VectorConfigurationError(
                `${this.where} is one PostgreSQL session, and another query runner's transaction held it for longer than connectTimeoutMS (${this.waitMs} ms); run this query through the EntityManager or query runner of the open transaction, or raise connectTimeoutMS.`,
              ),
            );
          }, this.waitMs)
        : undefined;
      this.waiting.push(entry);
    });
  }

  private release(connection: object): void {
    if (this.owner !== connection) return;
    const next = this.waiting.shift();
    this.owner = next?.connection;
    next?.grant();
  }

  /** Ends the transaction a closed connection left open, then frees the session (nothing to end once the database is closed). */
  private async rollBackFor(connection: object): Promise<void> {
    try {
      if (!this.database.closed) await this.database.exec('ROLLBACK');
    } finally {
      this.release(connection);
    }
  }
}
