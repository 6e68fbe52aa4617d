#!/usr/bin/python3
"""A scriptable tusd gRPC hook server for the tests (Debian's python3-grpcio).

Its stubs are generated at test time from the service's own hook.proto (python3 -m grpc_tools.protoc) into
--stubs. Every InvokeHook call is recorded like http_receiver.py records a POST: "headers" holds the call
metadata, "body" the HookRequest as JSON (proto field names, defaults included). The script is
http_receiver.py's, with gRPC answers:

  ANSWER = {"response": {HookResponse as JSON}, "code": "UNAVAILABLE" (abort with it), "details": "...", "sleep": seconds}
"""
import argparse
import sys
import time
from concurrent import futures

from hook_script import Script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record-dir", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--stubs", required=True)
    arguments = parser.parse_args()
    sys.path.insert(0, arguments.stubs)

    import grpc
    import hook_pb2
    import hook_pb2_grpc
    from google.protobuf import json_format

    script = Script(arguments.script, arguments.record_dir)

    class Handler(hook_pb2_grpc.HookHandlerServicer):
        def InvokeHook(self, request, context):
            metadata = {}
            for name, value in context.invocation_metadata():
                metadata.setdefault(name, []).append(value)
            body = json_format.MessageToJson(request, preserving_proto_field_name=True, including_default_value_fields=True)
            record = {"method": "/proto.HookHandler/InvokeHook", "path": "", "headers": metadata, "body": body}
            answer = script.take(record, request.type, metadata)
            time.sleep(answer.get("sleep", 0))
            if "code" in answer:
                context.abort(getattr(grpc.StatusCode, answer["code"]), answer.get("details", "scripted failure"))
            return json_format.ParseDict(answer.get("response", {}), hook_pb2.HookResponse())

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    hook_pb2_grpc.add_HookHandlerServicer_to_server(Handler(), server)
    server.add_insecure_port("127.0.0.1:%d" % arguments.port)
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
