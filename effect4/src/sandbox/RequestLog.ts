/**
 * A bounded log of the sandbox's recent requests, for tests and the demo.
 *
 * @since 0.3.0
 */

/**
 * One API request the sandbox received: a request on one of the API routes that
 * passed the bearer check (401, 404 and 405 answers are not logged).
 *
 * @since 0.3.0
 * @category models
 */
export interface RequestRecord {
  readonly method: string
  /** Path and query, as received. */
  readonly url: string
  /** The `Idempotency-Key` header, if any. */
  readonly idempotencyKey: string | undefined
  /** The status sent; `undefined` when the connection was dropped. */
  readonly status: number | undefined
  /** The fault injected into this request, if any. */
  readonly fault: "drop" | "stall" | "rateLimit" | "fail" | undefined
}

/**
 * A ring buffer of the last `size` records; O(1) per request.
 *
 * @since 0.3.0
 * @category internal
 */
export class RequestLog {
  private readonly records: Array<RequestRecord> = []
  private next = 0
  constructor(private readonly size: number) {}

  /**
   * Adds a record, dropping the oldest one when full.
   *
   * @since 0.3.0
   */
  push(record: RequestRecord): void {
    if (this.size === 0) return
    if (this.records.length < this.size) {
      this.records.push(record)
    } else {
      this.records[this.next] = record
      this.next = (this.next + 1) % this.size
    }
  }

  /**
   * The records, oldest first.
   *
   * @since 0.3.0
   */
  snapshot(): ReadonlyArray<RequestRecord> {
    return [...this.records.slice(this.next), ...this.records.slice(0, this.next)]
  }
}
