"""Times the official Genesys Cloud Python SDK (purecloudplatformclientv2)
making the benchmarked requests to bench-server, one after another, and
prints wall and CPU time as JSON, like bench-client.

    python3 genesys_sdk_client.py <get|post> <base-url> <requests>
"""

import json
import sys
import time

import PureCloudPlatformClientV2 as genesys

EXECUTION_ID = "2f9cd3e1-7f3a-4e0b-9d36-5c1c0b8e1a42"
WARM_UP = 100


def main():
    op, base, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
    configuration = genesys.Configuration()
    configuration.host = base
    configuration.access_token = "bench-token"
    # Token refresh needs a client secret; the benchmark uses a fixed token.
    configuration.should_refresh_access_token = False
    usage = genesys.UsageApi(genesys.ApiClient(host=base))
    usage.api_client.access_token = "bench-token"

    def one():
        if op == "get":
            reply = usage.get_usage_query_execution_id_results(EXECUTION_ID)
            return len(reply.results or [])
        body = genesys.ApiUsageOrganizationQuery()
        body.interval = "2024-05-01T00:00:00/2024-05-08T00:00:00"
        body.granularity = "Day"
        reply = usage.post_usage_query(body)
        return len(reply.execution_id or "")

    for _ in range(WARM_UP):
        assert one() > 0
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        assert one() > 0
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"requests": requests, "wall_s": wall, "cpu_s": cpu}))


if __name__ == "__main__":
    main()
