"""Renames one export of a wasm module, re-encoding the export section.

Higress builds its plugins with the export `proxy_abi_version_0_2_100`
(Higress's ABI marker), which upstream Envoy refuses ("Missing or unknown
Proxy-Wasm ABI version"); their imports are standard proxy-wasm 0.2.1, so
renaming that export lets the pip Envoy load them for the chain tests.

    python3 scripts/wasm_abi_rename.py IN OUT [OLD NEW]
"""

import sys

EXPORT_SECTION = 7


def leb_u32(data, pos):
    """Reads an unsigned LEB128 at pos; returns (value, next pos)."""
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def enc_u32(value):
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        if value:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def rename_export(wasm, old, new):
    if wasm[:4] != b"\0asm":
        raise ValueError("not a wasm module")
    out = bytearray(wasm[:8])
    pos, renamed = 8, 0
    while pos < len(wasm):
        sid = wasm[pos]
        size, body_at = leb_u32(wasm, pos + 1)
        body = wasm[body_at:body_at + size]
        pos = body_at + size
        if sid == EXPORT_SECTION:
            count, p = leb_u32(body, 0)
            new_body = bytearray(enc_u32(count))
            for _ in range(count):
                n, p = leb_u32(body, p)
                name = body[p:p + n]
                p += n
                kind = body[p]
                index, p2 = leb_u32(body, p + 1)
                entry_tail = body[p:p2]  # kind byte + index, copied as is
                p = p2
                if name == old:
                    name, renamed = new, renamed + 1
                new_body += enc_u32(len(name)) + name + entry_tail
                del kind, index
            body = bytes(new_body)
        out.append(sid)
        out += enc_u32(len(body)) + body
    if renamed != 1:
        raise ValueError(f"export {old!r} found {renamed} times, expected once")
    return bytes(out)


def main(argv):
    if len(argv) not in (3, 5):
        print(__doc__, file=sys.stderr)
        return 2
    old = (argv[3] if len(argv) == 5 else "proxy_abi_version_0_2_100").encode()
    new = (argv[4] if len(argv) == 5 else "proxy_abi_version_0_2_1").encode()
    with open(argv[1], "rb") as f:
        wasm = f.read()
    try:
        data = rename_export(wasm, old, new)
    except (ValueError, IndexError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    with open(argv[2], "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
