// SHA-256 of a file in the browser (Web Crypto), sent with an upload so the service can check what
// it stored (fieldops evidence, R-37) or match a document to its approval (letters, R-27).
// Web Crypto has no streaming digest: the file is read into memory once, so the screens refuse
// files over MAX_HASHED_BYTES with a message instead of exhausting a phone's memory.

export const MAX_HASHED_BYTES = 512 * 1024 * 1024

export class HashUnavailable extends Error {}

export async function sha256Hex(data: Blob | ArrayBuffer): Promise<string> {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) throw new HashUnavailable('Web Crypto is not available (the page must be served over HTTPS)')
  const bytes = data instanceof ArrayBuffer ? data : await data.arrayBuffer()
  const digest = await subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
