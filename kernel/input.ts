// Every input is bounded where it enters, the same way on every server (and in the provider
// mocks' MSW handlers): a body is JSON, of limited size and depth, and no string a client sends —
// path parameter, query value, body value or key — carries a control character or half a
// surrogate pair. PostgreSQL's text and jsonb refuse NUL and lone surrogates (a refusal that would
// come as a 500, possibly after other rows were written), a recursive walk of a deeply nested body
// overflows the stack, and no field of these services means a control character. Line breaks and
// tabs stay allowed (a feedback's description may have several lines).
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Socket } from 'node:net';
import { STATUS_CODES, type Server } from 'node:http';
import { AppError } from './errors.js';

/** The largest body any govsim server reads, in bytes (1 MB). */
export const BODY_LIMIT = 1024 * 1024;
/** The deepest nesting of arrays and objects a body may have (the deepest route needs 4). */
export const MAX_DEPTH = 32;

/** C0 and C1 control characters but tab, line feed and carriage return; a surrogate without its pair. */
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const refusals = {
  json: () => new AppError(400, 'INVALID_JSON', '请求内容不是有效的 JSON'),
  tooLarge: () => new AppError(413, 'BODY_TOO_LARGE', '请求内容过大'),
  tooDeep: () => new AppError(400, 'BODY_TOO_DEEP', `请求内容嵌套层数过多（最多 ${MAX_DEPTH} 层）`),
  notJson: () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求内容须为 JSON（Content-Type: application/json）'),
  charset: () => new AppError(415, 'UNSUPPORTED_CHARSET', '请求内容须为 UTF-8 编码'),
  encoding: () => new AppError(415, 'UNSUPPORTED_ENCODING', '不支持该内容压缩方式（Content-Encoding）'),
  character: (path: string) => new AppError(400, 'INVALID_CHARACTER', '输入内容含有不允许的字符', { path }),
  path: () => new AppError(400, 'INVALID_PATH', '请求路径格式不正确'),
  request: (status = 400) => new AppError(status, 'INVALID_REQUEST', '请求格式不正确'),
  headers: () => new AppError(431, 'HEADERS_TOO_LARGE', '请求头过大'),
  timeout: () => new AppError(408, 'REQUEST_TIMEOUT', '请求超时'),
};

const badText = (s: string) => UNSAFE.test(s);

/** Nesting depth of a JSON text over MAX_DEPTH, found without parsing it (UTF-8 never repeats an ASCII byte). */
export function tooDeep(json: Uint8Array | string): boolean {
  const bytes = typeof json === 'string' ? Buffer.from(json) : json;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++; // backslash: the next byte is escaped
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

/**
 * Refuses a value (parsed JSON, path parameters, a query) holding a string or key with a control
 * character or a lone surrogate, or nested deeper than MAX_DEPTH; walked without recursion.
 */
export function checkInput(value: unknown, where: string): void {
  const stack: [unknown, string, number][] = [[value, where, 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (badText(v)) throw refusals.character(path);
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) throw refusals.tooDeep();
      for (const [key, child] of Object.entries(v)) {
        if (badText(key)) throw refusals.character(`${path}.${key.replace(/[^\x20-\x7e\u00a0-\ud7ff\ue000-\uffff]/g, '?')}`);
        stack.push([child, `${path}.${key}`, depth + 1]);
      }
    }
  }
}

/** Checks what a request carries besides its headers: path parameters, query and body. */
export function checkRequest(req: Request): void {
  checkInput(req.params, 'params');
  checkInput(req.query, 'query');
  checkInput(req.body, 'body');
}

/** express.json within BODY_LIMIT and MAX_DEPTH, then no body of another type: one middleware (a layer fewer on every request). */
export function jsonBody(): RequestHandler {
  const parse = express.json({
    limit: BODY_LIMIT,
    verify: (_req, _res, buffer) => {
      if (tooDeep(buffer)) throw refusals.tooDeep();
    },
  });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (error) return next(error);
      // A body express.json left alone is one of another type: refused rather than taken for none.
      const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
      next(hasBody && req.body === undefined && !req.is('application/json') ? refusals.notJson() : undefined);
    });
}

/** The refusal for an error Express or body-parser raised before a route ran, if it is one. */
export function transportRefusal(error: unknown): AppError | undefined {
  const { status, type } = error as { status?: number; type?: string };
  if (type === 'entity.parse.failed') return refusals.json();
  if (type === 'entity.too.large') return refusals.tooLarge();
  if (type === 'charset.unsupported') return refusals.charset();
  if (type === 'encoding.unsupported') return refusals.encoding();
  // The router could not decode a path parameter (a bad percent escape).
  if (status === 400 && /^Failed to decode param/.test((error as Error).message ?? '')) return refusals.path();
  if (status !== undefined && status >= 400 && status < 500) return refusals.request(status);
  return undefined;
}

/**
 * Node answers a request it cannot parse (headers over its limit, a malformed request line) by
 * itself, with an empty body: answer with { code, message } as every other refusal.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || answering?.headersSent || error.code === 'ECONNRESET') return void socket.destroy();
    const { status, code, message } = error.code === 'HPE_HEADER_OVERFLOW' ? refusals.headers() : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? refusals.timeout() : refusals.request();
    const body = JSON.stringify({ code, message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
