/** Wire-shaped bodies as the spec describes them, for the live client's tests. */

export const cardId = "7d943c51-e4ff-4e57-9558-08cab6b963c7"
export const fdxTokenId = "3c90c3cc-0d44-4b50-8888-8dd25736052a"

export const widgetTokenBody = {
  tenant: "abcdef_ghijkl",
  widget_token: "0b0319e2-d5f4-49cb-b426-9ff9b2e96969"
}

export const fdxTokenBody = {
  business_id: "b0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11",
  creation_time: "2010-05-06T12:23:34.321Z",
  id: fdxTokenId,
  last_updated_time: "2010-05-06T12:23:34.321Z",
  parent_token_id: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55",
  status: "ENABLED",
  tenant: "abcdef_ghijkl",
  token_expiry_time: "2010-05-06T13:23:34.321Z",
  token_hash: "5f2b9c0e",
  token_type: "ACCESS"
}
