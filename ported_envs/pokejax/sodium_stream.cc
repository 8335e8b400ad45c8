// Showdown's sodium PRNG stream (ChaCha20 block, counter 0, libsodium's nonce; the first 32 bytes
// are the next key, bytes 32..35 read big-endian are the output) as an XLA FFI CPU kernel.
// Why native: XLA's CPU loop fusion emits one fusion per kept word, each recomputing the whole
// 20-round block; here the block is computed once per draw, vectorised across battles.
// prng.py builds this at first use (or setup.sh) and keeps the pure-JAX code as the fallback.
//
// key u32[..., 8] -> outs u32[..., n], states u32[..., n, 8]: n draws per key, the key after each.
#include <cstddef>
#include <cstdint>

#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int kLanes = 64;  // keys advanced together (one SoA tile; the vectoriser spans it)
constexpr uint32_t kConst[4] = {0x61707865u, 0x3320646Eu, 0x79622D32u, 0x6B206574u};
constexpr uint32_t kNonce[3] = {0x7362694Cu, 0x7569646Fu, 0x4752446Du};  // "LibsodiumDRG" little-endian

inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

#define QR(a, b, c, d)                          \
  a += b; d = rotl(d ^ a, 16);                  \
  c += d; b = rotl(b ^ c, 12);                  \
  a += b; d = rotl(d ^ a, 8);                   \
  c += d; b = rotl(b ^ c, 7);

// One draw for `count` keys held word-major (k[w][lane]); each iteration of the lane loop is
// independent, so the compiler vectorises across lanes (a clone per ISA, picked at load time).
__attribute__((target_clones("avx512f", "avx2", "default")))
void draw_tile(uint32_t (*__restrict k)[kLanes], uint32_t* __restrict out, int count) {
  for (int l = 0; l < count; ++l) {
    uint32_t x0 = kConst[0], x1 = kConst[1], x2 = kConst[2], x3 = kConst[3];
    uint32_t x4 = k[0][l], x5 = k[1][l], x6 = k[2][l], x7 = k[3][l];
    uint32_t x8 = k[4][l], x9 = k[5][l], x10 = k[6][l], x11 = k[7][l];
    uint32_t x12 = 0, x13 = kNonce[0], x14 = kNonce[1], x15 = kNonce[2];
#pragma GCC unroll 10
    for (int r = 0; r < 10; ++r) {
      QR(x0, x4, x8, x12) QR(x1, x5, x9, x13) QR(x2, x6, x10, x14) QR(x3, x7, x11, x15)
      QR(x0, x5, x10, x15) QR(x1, x6, x11, x12) QR(x2, x7, x8, x13) QR(x3, x4, x9, x14)
    }
    // the next key is block words 0..7: the constants' and key words 0..3's lanes plus their inputs
    const uint32_t k0 = k[0][l], k1 = k[1][l], k2 = k[2][l], k3 = k[3][l];
    out[l] = __builtin_bswap32(x8 + k[4][l]);  // block word 8 (its input: key word 4), big-endian
    k[0][l] = x0 + kConst[0]; k[1][l] = x1 + kConst[1];
    k[2][l] = x2 + kConst[2]; k[3][l] = x3 + kConst[3];
    k[4][l] = x4 + k0; k[5][l] = x5 + k1; k[6][l] = x6 + k2; k[7][l] = x7 + k3;
  }
}

ffi::Error SodiumStream(ffi::Buffer<ffi::U32> key, ffi::ResultBuffer<ffi::U32> outs,
                        ffi::ResultBuffer<ffi::U32> states) {
  auto dims = key.dimensions();
  if (dims.size() == 0 || dims.back() != 8)
    return ffi::Error::InvalidArgument("sodium_stream: the key's last axis must hold 8 uint32 words");
  const size_t m = key.element_count() / 8;
  if (m == 0) return ffi::Error::Success();
  const size_t n = outs->element_count() / m;
  if (outs->element_count() != m * n || states->element_count() != m * n * 8)
    return ffi::Error::InvalidArgument("sodium_stream: outputs must be [..., n] and [..., n, 8]");
  const uint32_t* in = key.typed_data();
  uint32_t* o = outs->typed_data();
  uint32_t* st = states->typed_data();
  alignas(64) uint32_t k[8][kLanes];
  alignas(64) uint32_t r[kLanes];
  for (size_t base = 0; base < m; base += kLanes) {
    const int count = static_cast<int>(m - base < kLanes ? m - base : kLanes);
    for (int l = 0; l < count; ++l)
      for (int w = 0; w < 8; ++w) k[w][l] = in[(base + l) * 8 + w];
    for (size_t j = 0; j < n; ++j) {
      draw_tile(k, r, count);
      for (int l = 0; l < count; ++l) {
        const size_t at = (base + l) * n + j;
        o[at] = r[l];
        for (int w = 0; w < 8; ++w) st[at * 8 + w] = k[w][l];
      }
    }
  }
  return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(PokejaxSodiumStream, SodiumStream,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::U32>>()
                                  .Ret<ffi::Buffer<ffi::U32>>()
                                  .Ret<ffi::Buffer<ffi::U32>>());
