"""A purchaser and a bank that follow certificates, a licence to follow, and a local webhook
receiver (http.server on 127.0.0.1, random port) that records what it is sent."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.tests.factories import issue


@pytest.fixture
def market(regions):
    return EntityFactory(name="南宁农产品批发市场", region=regions["450103"])


@pytest.fixture
def purchaser(market):
    return UserFactory(username="buyer", roles=[Role.PURCHASER], entity=market, email="buyer@example.cn")


@pytest.fixture
def bank(market):
    return UserFactory(username="lender", roles=[Role.BANK], entity=market)


@pytest.fixture
def gx_cert(gx_entity):
    return issue(gx_entity)


class Receiver:
    def __init__(self):
        self.requests = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/sanpin"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()
