import { request as httpRequest, type IncomingMessage } from 'node:http';

/** A request the node answered with an error status: its `{ "error" }` text. */
export class AdminResponseError extends Error {
  override readonly name = 'AdminResponseError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The node could not be reached at all. */
export class AdminUnreachableError extends Error {
  override readonly name = 'AdminUnreachableError';
}

/** Answers taking longer than this mean the node is stuck or not ours. */
const REQUEST_TIMEOUT_MS = 10_000;

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is the node running with --admin?)',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'unknown host',
  ETIMEDOUT: 'timed out',
};

/** A client of one node's admin API, on node:http (no dependency). */
export class AdminClient {
  constructor(
    readonly address: string,
    private readonly token?: string,
  ) {}

  async json<Result>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Result> {
    const response = await this.open(method, path, body);
    const text = await readAll(response);
    const status = response.statusCode ?? 0;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AdminResponseError(status, `${this.address} answered ${status} with something that is not JSON`);
    }
    if (status >= 400) {
      const error = (parsed as { error?: unknown } | null)?.error;
      throw new AdminResponseError(status, `${this.address}: ${typeof error === 'string' ? error : `HTTP ${status}`}`);
    }
    return parsed as Result;
  }

  /** Follows /v1/events, handing each event's JSON to `onEvent`, until the node ends it or `signal` aborts. */
  async events(onEvent: (record: Record<string, unknown>) => void, signal: AbortSignal): Promise<void> {
    let response: IncomingMessage;
    try {
      response = await this.open('GET', '/v1/events', undefined, signal, false);
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if ((response.statusCode ?? 0) >= 400) throw new AdminResponseError(response.statusCode ?? 0, `${this.address}: HTTP ${response.statusCode ?? 0}`);
    response.setEncoding('utf8');
    let pending = '';
    await new Promise<void>((resolve) => {
      const end = (): void => resolve();
      signal.addEventListener('abort', () => {
        response.destroy();
        end();
      }, { once: true });
      response.on('data', (chunk: string) => {
        pending += chunk;
        let at: number;
        while ((at = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, at);
          pending = pending.slice(at + 2);
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data !== '') onEvent(JSON.parse(data) as Record<string, unknown>);
        }
      });
      response.once('end', end);
      response.once('error', end);
      response.once('close', end);
    });
  }

  private open(method: string, path: string, body: unknown, signal?: AbortSignal, timeout = true): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(path, `http://${this.address}`);
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, {
        method,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        },
        ...(signal === undefined ? {} : { signal }),
      });
      if (timeout) request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      request.once('response', resolve);
      request.once('error', (error: NodeJS.ErrnoException) => {
        if (signal?.aborted) return reject(error);
        const reason = REASONS[error.code ?? ''] ?? error.message;
        reject(new AdminUnreachableError(`cannot reach the admin API at ${this.address}: ${reason}`, { cause: error }));
      });
      request.end(payload);
    });
  }
}

function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
  });
}
