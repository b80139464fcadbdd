import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { z } from 'zod';
import type { Logger } from '../../application/ports/logger.port';
import type { NodeAdmin } from '../../application/node-admin';
import { formatAddress } from '../../domain/address';
import type { NodeEvent } from '../../domain/events';
import { eventRecord } from '../output/json-output';
import { bodyProblem, broadcastBody, tagsBody } from './admin-bodies.schema';
import type { PrometheusMetrics } from './prometheus-metrics';
import { STATUS_PAGE } from './status-page';

/** A request body past this is refused (413) before it is read further. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Limits that keep slow or idle clients from holding the node. */
export const ADMIN_LIMITS = {
  // A connection silent this long while it sends a request is closed (event streams excepted); between two requests,
  // keepAliveMs applies (node:http adds 1 s to it).
  silentMs: 5_000,
  // A client has this long to send its headers, and its whole request (enforced by node:http every 30 s, so within 40 s).
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveMs: 5_000,
  // Open connections at once, event streams included: enough for a few dashboards and scripts.
  maxConnections: 64,
  // An event stream whose reader has fallen this far behind is closed instead of buffered.
  maxStreamBacklogBytes: 1024 * 1024,
};

export interface AdminServerOptions {
  readonly host: string;
  readonly port: number;
  /** Bearer token POST and PUT must carry; none: no check. */
  readonly token?: string;
  readonly admin: NodeAdmin;
  readonly logger: Logger;
  /** The node's metrics (prom-client itself loads at the first scrape). */
  readonly metrics: PrometheusMetrics;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The admin HTTP API of CONTRACT.md on node:http. Every handler only reads the
 * node's state or calls one use-case of NodeAdmin: nothing here waits on the
 * protocol, and the protocol never waits on a client.
 */
export class AdminServer {
  private readonly server: Server;
  private readonly routes: ReadonlyMap<string, ReadonlyMap<string, Handler>>;
  private readonly streams = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: AdminServerOptions) {
    const { admin } = options;
    this.routes = new Map<string, Map<string, Handler>>([
      ['/', new Map([['GET', (_q, r) => send(r, 200, STATUS_PAGE, 'text/html; charset=utf-8')]])],
      ['/healthz', new Map([['GET', (_q, r) => send(r, 200, 'ok\n', 'text/plain; charset=utf-8')]])],
      ['/readyz', new Map([['GET', (_q, r) => {
        const readiness = admin.readiness();
        sendJson(r, readiness.ready ? 200 : 503, readiness);
      }]])],
      ['/metrics', new Map([['GET', async (_q, r) => {
        const { body, contentType } = await options.metrics.scrape();
        send(r, 200, body, contentType);
      }]])],
      ['/v1/members', new Map([['GET', (_q, r) => sendJson(r, 200, admin.members())]])],
      ['/v1/events', new Map([['GET', (q, r) => this.stream(q, r)]])],
      ['/v1/broadcast', new Map([['POST', async (q, r) => {
        const body = await readBody(q, broadcastBody);
        sendJson(r, 200, { peers: admin.broadcast(body.message) });
      }]])],
      ['/v1/tags', new Map([['PUT', async (q, r) => {
        const body = await readBody(q, tagsBody);
        admin.setTags(body.tags);
        sendJson(r, 200, { tags: body.tags });
      }]])],
      ['/v1/leave', new Map([['POST', (_q, r) => {
        r.once('finish', () => admin.leave());
        sendJson(r, 202, { leaving: true });
      }]])],
    ]);
    this.server = createServer(
      {
        headersTimeout: ADMIN_LIMITS.headersTimeoutMs,
        requestTimeout: ADMIN_LIMITS.requestTimeoutMs,
        keepAliveTimeout: ADMIN_LIMITS.keepAliveMs,
        // headersTimeout and requestTimeout are enforced by one timer of node:http, every
        // connectionsCheckingInterval (30 s), whether any connection is open or not: at 1 s it
        // woke an idle node every second (admin-idle benchmark: about 0.015 points of a core).
        // The silence timeout below is a timer per connection, only while one is open.
      },
      (request, response) => void this.handle(request, response),
    );
    this.server.maxConnections = ADMIN_LIMITS.maxConnections;
    // No 'timeout' listener: node:http destroys a connection silent this long.
    this.server.setTimeout(ADMIN_LIMITS.silentMs);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_error, socket: Socket) => socket.destroy());
  }

  /** Binds where told and nowhere else; resolves with the host:port actually bound. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host: this.options.host, port: this.options.port, exclusive: true }, () => {
        this.server.off('error', onError);
        this.server.on('error', (error) => this.options.logger.warn({ err: error }, 'admin API error'));
        const bound = this.server.address() as AddressInfo;
        resolve(formatAddress(bound.address, bound.port));
      });
    });
  }

  /** Ends the event streams and every connection. */
  close(): Promise<void> {
    for (const stream of this.streams) stream.end();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = new URL(request.url ?? '/', 'http://admin').pathname;
      const methods = this.routes.get(path);
      if (!methods) throw new HttpError(404, `no such endpoint: ${path}`);
      const method = request.method === 'HEAD' ? 'GET' : (request.method ?? '');
      const handler = methods.get(method);
      if (!handler) {
        response.setHeader('allow', [...methods.keys()].join(', '));
        throw new HttpError(405, `${request.method ?? ''} is not allowed on ${path} (allowed: ${[...methods.keys()].join(', ')})`);
      }
      if (method !== 'GET') this.authorize(request);
      await handler(request, response);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 413) response.setHeader('connection', 'close');
        sendJson(response, error.status, { error: error.message });
      } else {
        this.options.logger.warn({ err: error }, 'admin request failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
        else response.destroy();
      }
    }
  }

  private authorize(request: IncomingMessage): void {
    const { token } = this.options;
    if (token === undefined) return;
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const expected = Buffer.from(token);
    const presented = Buffer.from(given);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new HttpError(401, 'this request needs Authorization: Bearer <token> (see --admin-token)');
    }
  }

  /** Server-Sent Events: each event as `data: {json}`, exactly as --output json prints it. */
  private stream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    response.write(': p2p-gossip events\n\n');
    // An event stream is meant to stay open, silent or not: the silence timeout does not apply to it.
    request.socket.setTimeout(0);
    this.streams.add(response);
    const unsubscribe = this.options.admin.subscribe((event: NodeEvent, at: Date) => {
      if (response.writableLength > ADMIN_LIMITS.maxStreamBacklogBytes) {
        response.destroy();
        return;
      }
      response.write(`data: ${JSON.stringify(eventRecord(event, at))}\n\n`);
    });
    response.once('close', () => {
      unsubscribe();
      this.streams.delete(response);
    });
  }
}

async function readBody<Schema extends z.ZodType>(request: IncomingMessage, schema: Schema): Promise<z.output<Schema>> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body must be JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, bodyProblem(parsed.error));
  return parsed.data;
}

function send(response: ServerResponse, status: number, body: string, contentType: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, `${JSON.stringify(value)}\n`, 'application/json; charset=utf-8');
}
