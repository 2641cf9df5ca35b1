/**
 * A client-wide retry budget, in the spirit of the AWS SDKs' retry quota: a
 * token bucket that retries spend and successes refill. While Synctera is
 * healthy the bucket stays full and every transient failure may be retried;
 * during an outage it empties after `capacity / retryCost` retries, and from
 * then on calls fail after their first attempt instead of multiplying the load
 * on a struggling server. Successes fill it again.
 *
 * Effect runs fibers on one JavaScript thread, so plain mutation is safe here.
 *
 * @since 0.3.0
 */

/**
 * The budget's settings.
 *
 * @since 0.3.0
 * @category retries
 */
export interface RetryBudgetSettings {
  /** Tokens when full. */
  readonly capacity: number
  /** Tokens a retry after an error response or a network error costs. */
  readonly retryCost: number
  /** Tokens a retry after a timeout costs (a timeout says more about load). */
  readonly timeoutCost: number
  /** Tokens a call that succeeded at its first attempt puts back. */
  readonly refill: number
}

/**
 * A token bucket shared by every call of one client.
 *
 * @since 0.3.0
 * @category retries
 */
export interface RetryBudget {
  /** Takes `cost` tokens if there are enough; false leaves the bucket as it was. */
  readonly tryAcquire: (cost: number) => boolean
  /**
   * A call succeeded: it returns what its retries spent, or, when it needed
   * no retry, adds the refill.
   */
  readonly onSuccess: (spent: number) => void
  /** Tokens left, for logs and tests. */
  readonly available: () => number
}

/**
 * A full bucket; `false` settings give a budget that never runs out.
 *
 * @since 0.3.0
 * @category retries
 */
export const makeRetryBudget = (settings: RetryBudgetSettings | false): RetryBudget => {
  if (settings === false) {
    return { tryAcquire: () => true, onSuccess: () => {}, available: () => Number.POSITIVE_INFINITY }
  }
  let tokens = settings.capacity
  return {
    tryAcquire: (cost) => {
      if (cost > tokens) return false
      tokens -= cost
      return true
    },
    onSuccess: (spent) => {
      tokens = Math.min(settings.capacity, tokens + (spent > 0 ? spent : settings.refill))
    },
    available: () => tokens
  }
}
