/** The types of `fdxPages.mjs` (the list the bench server serves). */
export declare const TOKENS: number
export declare const PAGE: number
export interface FdxTokenPageJson {
  readonly fdx_tokens: ReadonlyArray<Record<string, unknown>>
  readonly next_page_token?: string
}
export declare const fdxTokenPages: (fdxToken: unknown) => Array<FdxTokenPageJson>
