//! A person's own IP address (`ip_own.rs`): public IPv4 and IPv6
//! addresses introduced as the writer's own or under a prose label act;
//! private, loopback and documentation ranges, config keys, a server's
//! address, malformed and truncated forms stay quiet. The addresses are
//! made up.

use super::test_support::{engine, rule_acts};
use super::*;

fn ip_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "ip_address", text)
}

#[test]
fn an_address_introduced_as_ones_own_acts() {
    let e = engine();
    for text in [
        "my ip is 81.2.69.160",
        "My IP: 81.2.69.160, can you check the ban?",
        "my home IP address is 2a02:1810:4d02:7a00::1f3",
        "my ipv6: 2a02:1810:4d02:7a00:a1b2:c3d4:e5f6:1234.",
        "IP address: 81.2.69.160:8443 was blocked",
        "our ip is ::ffff:81.2.69.160",
        "my ip is 2A02:1810:4D02:7A00:0:0:0:1F3",
        // outside 2000::/3 but no special-purpose range: still someone's
        "my ip: 5f3a:1810:4d02:7a00:a1b2:c3d4:e5f6:1234",
    ] {
        assert!(ip_acts(&e, text), "{text}");
    }
}

#[test]
fn hosts_ranges_and_config_stay_quiet() {
    let e = engine();
    for text in [
        // no one's: private, loopback, link-local, documentation ranges
        "my ip is 192.168.1.20",
        "my ip is 10.0.0.7",
        "my ip is 127.0.0.1",
        "my ip is 169.254.10.3",
        "my ip is 100.64.3.9",
        "my ip is 203.0.113.5",
        "my ip is 198.51.100.7",
        "my ip is 2001:db8::5",
        "my ip is fe80::1c2b:3cff:fe4d:5e6f",
        "my ip is ::1",
        "my ip is ::ffff:192.168.1.20",
        // a public resolver: everyone's
        "The IP address: 8.8.8.8 answers",
        "my ip is 1.1.1.1",
        // a host's address, a config key, no introduction
        "server IP address: 81.2.69.160",
        "ip: 81.2.69.160",
        "ip_address: 81.2.69.160",
        "connect to 81.2.69.160 on port 22",
        "2a02:1810:4d02:7a00::1f3",
        // not an address: octet out of range, too many groups, a time,
        // a version, truncated
        "my ip is 81.2.69.260",
        "my ip is 1:2:3:4:5:6:7:8:9",
        "my ip is 12:30:45",
        "my ip is 81.2.69.160.5",
        "my ip is 81.2.69",
        "my ip is 2a02:1810:4d02",
        "what is my ip? 81.2.69.160 came up",
    ] {
        assert!(!ip_acts(&e, text), "{text}");
    }
}

#[test]
fn the_chinese_forms_introduce_an_address_the_same_way() {
    let e = engine();
    for text in [
        "我的 IP 是 81.2.69.160，为什么访问不了？",
        "我的IP地址是81.2.69.160",
        "IP 地址：81.2.69.160，请帮我查一下",
        "我们的 IPv6 地址为 2a02:1810:4d02:7a00::1f3",
    ] {
        assert!(ip_acts(&e, text), "{text}");
    }
    for text in [
        // a machine's address, a bare label, a private range
        "服务器的 IP 是 81.2.69.160，帮我写 nginx 配置",
        "网关 IP 地址：81.2.69.160",
        "IP：81.2.69.160",
        "我的 IP 是 192.168.1.20",
    ] {
        assert!(!ip_acts(&e, text), "{text}");
    }
}
