"""The SSRF policy of webhook URLs: public addresses only (unless allowed), https, no rebinding."""

import socket

import pytest

from improvement.webhooks.transport import Policy, UnsafeUrl, check_url

STRICT = Policy.build([], allow_http=False)


def resolver(*addresses):
    def resolve(host, port, type=None):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    return resolve


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.5", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                                     "224.0.0.1", "198.18.0.1"])
def test_private_and_reserved_addresses_are_refused(address):
    with pytest.raises(UnsafeUrl, match="private or reserved"):
        check_url("https://hooks.example.com/x", STRICT, resolve=resolver(address))


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    with pytest.raises(UnsafeUrl):
        check_url("https://hooks.example.com/x", STRICT, resolve=resolver("93.184.216.34", "10.0.0.1"))


def test_public_https_is_pinned_to_the_checked_address():
    target = check_url("https://hooks.example.com:8443/a/b?key=1", STRICT, resolve=resolver("93.184.216.34"))
    assert (target.host, target.port, target.path, target.address) == (
        "hooks.example.com", 8443, "/a/b?key=1", "93.184.216.34")


@pytest.mark.parametrize("url,reason", [
    ("ftp://hooks.example.com/x", "http"), ("https:///nohost", "http"), ("javascript:alert(1)", "http"),
    ("https://user:pw@hooks.example.com/", "Credentials"), ("http://hooks.example.com/", "https"),
])
def test_bad_urls(url, reason):
    with pytest.raises(UnsafeUrl, match=reason):
        check_url(url, STRICT, resolve=resolver("93.184.216.34"))


def test_unresolvable_hosts_are_refused():
    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    with pytest.raises(UnsafeUrl, match="resolved"):
        check_url("https://nowhere.invalid/", STRICT, resolve=fail)


def test_allowed_networks_open_an_intranet_relay_even_over_http():
    policy = Policy.build(["10.20.0.0/16"], allow_http=False)
    assert check_url("http://relay.corp/hook", policy, resolve=resolver("10.20.3.4")).address == "10.20.3.4"
    with pytest.raises(UnsafeUrl):
        check_url("http://relay.corp/hook", policy, resolve=resolver("10.21.3.4"))


def test_plain_http_to_public_hosts_only_when_allowed():
    assert check_url("http://hooks.example.com/", Policy.build([], allow_http=True),
                     resolve=resolver("93.184.216.34")).scheme == "http"
