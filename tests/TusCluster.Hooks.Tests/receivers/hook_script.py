"""What the test receivers share: the answer script and the request record (see http_receiver.py)."""
import json
import os
import threading


class Script:
    """Answers from a JSON script file, re-read whenever it changes; records every request as a file."""

    def __init__(self, script_path, record_dir):
        self.script_path = script_path
        self.record_dir = record_dir
        self.lock = threading.Lock()
        # A receiver restarted on the same record directory (a receiver outage in a test) continues the
        # numbering, so what it recorded before is kept.
        self.sequence = len([name for name in os.listdir(record_dir) if name.endswith(".json")])
        self.text = None
        self.script = {}
        self.next_response = 0

    def take(self, record, hook_type, headers):
        """Records the request and returns the answer for it; headers are {lowercase name: [values]}."""
        with self.lock:
            self.sequence += 1
            sequence = self.sequence
            answer = self._choose(hook_type, headers)
        target = os.path.join(self.record_dir, "%06d.json" % sequence)
        with open(target + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(target + ".tmp", target)
        return answer

    def _load(self):
        try:
            with open(self.script_path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            text = "{}"
        if text != self.text:
            self.text = text
            self.script = json.loads(text or "{}")
            self.next_response = 0
        return self.script

    def _choose(self, hook_type, headers):
        script = self._load()
        responses = script.get("responses", [])
        if self.next_response < len(responses):
            self.next_response += 1
            return responses[self.next_response - 1]
        required = script.get("requireHeader")
        if required and required["value"] not in headers.get(required["name"].lower(), []):
            return required["otherwise"]
        return script.get("byType", {}).get(hook_type) or script.get("default") or {}
