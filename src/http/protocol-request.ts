/**
 * What an endpoint reads of an HTTP request. A Fetch `Request` is one; so is the Node listener's
 * request read straight from Node's parser (server/node-request.ts), which the hot protocol routes
 * are answered with, without the cost of building a `Request`.
 */
export interface ProtocolRequest {
  readonly method: string;
  /** The absolute URL; endpoints read only its query. */
  readonly url: string;
  /** Header values as Fetch gives them: a repeated header's values joined with `, `. */
  readonly headers: Pick<Headers, 'get' | 'has'>;
  /** The body as text ('' when there is none). */
  text(): Promise<string>;
}
