// Bounds on what a hostile event stream can make shipgate hold in memory. An SSE parser buffers a line
// until its newline and an event until its blank line: a stream that never sends either (or a small gzip
// bomb that inflates to hundreds of MB of one line) would grow without limit. The stream is asked for
// without compression and refused when it comes compressed anyway; each event is capped as it arrives.
import { DecoratorHandler, type Dispatcher } from 'undici';

/** Bytes one SSE event (or one line) may take before the stream is cut; the WebSocket maxPayload too. */
export const MAX_EVENT_BYTES = 1024 * 1024;

export class StreamCapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamCapError';
  }
}

/** Counts the bytes of the event being received; an SSE event ends at an empty line (LF, CR or CRLF). */
export class EventSizeCounter {
  private eventBytes = 0;
  private lineBytes = 0;
  private afterCR = false;

  constructor(readonly max: number) {}

  /** Feeds a chunk; false once the current event is longer than `max`. */
  push(chunk: Uint8Array): boolean {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x0a && this.afterCR) {
        this.afterCR = false; // the LF of a CRLF
        continue;
      }
      this.afterCR = b === 0x0d;
      if (b === 0x0a || b === 0x0d) {
        if (this.lineBytes === 0) this.eventBytes = 0;
        this.lineBytes = 0;
        continue;
      }
      this.lineBytes++;
      if (++this.eventBytes > this.max) return false;
    }
    return true;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${Math.round(n / 1024)} KiB`;
}

// undici's types declare DecoratorHandler without the methods it implements (it forwards every hook).
interface Forwarding {
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void;
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void;
}
const Decorator = DecoratorHandler as unknown as new (handler: Dispatcher.DispatchHandler) => Forwarding;

class CappedEventStream extends Decorator {
  private readonly counter: EventSizeCounter;

  constructor(
    handler: Dispatcher.DispatchHandler,
    max: number,
    private readonly onCut: (err: StreamCapError) => void,
  ) {
    super(handler);
    this.counter = new EventSizeCounter(max);
  }

  override onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    const coding = String(headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (statusCode >= 200 && statusCode < 300 && coding !== 'identity' && coding !== '') {
      return this.cut(
        controller,
        `the stream arrived ${coding}-compressed although shipgate asked for identity; refused, so a compression bomb cannot fill memory`,
      );
    }
    return super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.counter.push(chunk))
      return this.cut(
        controller,
        `an event of the stream is longer than ${formatBytes(this.counter.max)} (no end of line or blank line); the stream was cut`,
      );
    return super.onResponseData(controller, chunk);
  }

  private cut(controller: Dispatcher.DispatchController, message: string): void {
    const err = new StreamCapError(message);
    this.onCut(err);
    controller.abort(err);
  }
}

/**
 * An undici interceptor for event streams: asks for an uncompressed body, refuses a compressed one and cuts
 * a stream whose event grows past `max` bytes. `onCut` hears why (EventSource only says "error").
 */
export function capEventStream(
  onCut: (err: StreamCapError) => void,
  max = MAX_EVENT_BYTES,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch(
      { ...opts, headers: { ...(opts.headers as Record<string, string>), 'accept-encoding': 'identity' } },
      new CappedEventStream(handler, max, onCut),
    );
}
