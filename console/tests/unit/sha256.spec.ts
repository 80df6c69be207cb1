import { describe, expect, it } from 'vitest'
import { sha256Hex } from '@/utils/sha256'

describe('SHA-256 in the browser (Web Crypto)', () => {
  it('gives the standard digests', async () => {
    expect(await sha256Hex(new Blob([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(await sha256Hex(new Blob(['abc']))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    // the same bytes as a Blob of UTF-8 text and as an ArrayBuffer
    const text = '门牌照片'
    const digest = '7731c2d3699bf1312ed02cd538f7d606c99987d5a6f9ae189d5c6d07d98d2d7c' // hashlib.sha256('门牌照片'.encode())
    expect(await sha256Hex(new Blob([text]))).toBe(digest)
    expect(await sha256Hex(new TextEncoder().encode(text).buffer as ArrayBuffer)).toBe(digest)
  })
})
