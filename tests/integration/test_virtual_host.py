"""Virtual-host-style addressing with --domain: boto3 with addressing_style=virtual (its
requests are sent to the loopback address with the Host header it signed, since *.s3.test
does not resolve here) creates, lists, writes, reads and deletes; a Host equal to the domain
stays path style; a server without --domain ignores the Host as before."""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing"))

from server_harness import REGION, RawClient, ServerTestCase, main, unique_bucket  # noqa: E402

DOMAIN = "s3.test"


def virtual_client(server):
    """boto3 client addressing buckets as BUCKET.s3.test:PORT, connected to loopback."""
    import boto3
    from botocore.config import Config
    client = boto3.session.Session().client(
        "s3", endpoint_url="http://%s:%d" % (DOMAIN, server.port),
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
        region_name=REGION,
        config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"},
                      retries={"total_max_attempts": 1}))

    def to_loopback(request, **_):
        url = urllib.parse.urlsplit(request.url)
        request.headers["Host"] = url.netloc  # as signed
        request.url = urllib.parse.urlunsplit(url._replace(netloc="127.0.0.1:%d" % server.port))

    client.meta.events.register("before-send.s3", to_loopback)
    return client


class VirtualHostTest(ServerTestCase):
    server_args = ("--domain", "other.example," + DOMAIN)

    def test_boto3_virtual_addressing(self):
        s3 = virtual_client(self.server)
        bucket = unique_bucket("vhost")
        s3.create_bucket(Bucket=bucket)
        seen = []
        s3.meta.events.register("before-send.s3",
                                lambda request, **_: seen.append(request.headers["Host"]))
        s3.put_object(Bucket=bucket, Key="dir/a b+c.txt", Body=b"virtual")
        self.assertEqual(s3.get_object(Bucket=bucket, Key="dir/a b+c.txt")["Body"].read(),
                         b"virtual")
        listed = s3.list_objects_v2(Bucket=bucket)
        self.assertEqual([o["Key"] for o in listed["Contents"]], ["dir/a b+c.txt"])
        self.assertTrue(all(h.startswith(bucket + ".") for h in seen), seen)
        # The same objects through path style.
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="dir/a b+c.txt")["Body"].read(),
                         b"virtual")
        self.assertClientError(s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="nope")
        s3.delete_object(Bucket=bucket, Key="dir/a b+c.txt")
        s3.delete_bucket(Bucket=bucket)
        self.assertClientError(self.s3.head_bucket, "404", 404, Bucket=bucket)

    def test_raw_hosts(self):
        bucket = unique_bucket("vraw")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"v")
        raw = RawClient(self.server)
        port = self.server.port
        host = "%s.%s:%d" % (bucket, DOMAIN.upper(), port)
        res = raw.request("GET", "/k", headers={"Host": host})
        self.assertEqual((res.status, res.body), (200, b"v"))
        res = raw.request("GET", "/k", headers={"Host": "%s.other.example" % bucket})
        self.assertEqual((res.status, res.body), (200, b"v"))
        # The domain itself is path style.
        res = raw.request("GET", "/%s/k" % bucket, headers={"Host": "%s:%d" % (DOMAIN, port)})
        self.assertEqual((res.status, res.body), (200, b"v"))
        # A bucket that does not exist.
        res = raw.request("GET", "/k", headers={"Host": "nosuch-%s.%s" % (bucket, DOMAIN)})
        self.assertEqual((res.status, res.error_code()), (404, "NoSuchBucket"))


class WithoutDomainTest(ServerTestCase):

    def test_host_is_ignored(self):
        bucket = unique_bucket("novh")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"v")
        res = RawClient(self.server).request(
            "GET", "/%s/k" % bucket, headers={"Host": "%s.%s" % (bucket, DOMAIN)})
        self.assertEqual((res.status, res.body), (200, b"v"))


if __name__ == "__main__":
    main()
