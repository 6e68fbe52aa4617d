"""A real Celery app for the AMQP sink's tests: the task writes what it received to a file.

Configured by the environment: TUS_CELERY_BROKER (amqp URL), TUS_CELERY_QUEUE, TUS_CELERY_TASK (task name),
TUS_CELERY_OUTPUT (directory). One file per message, <task id>.json, written then renamed so a reader never
sees half a file.
"""
import json
import os

from celery import Celery

app = Celery("tus_celery_receiver", broker=os.environ["TUS_CELERY_BROKER"])
app.conf.update(
    task_default_queue=os.environ["TUS_CELERY_QUEUE"],
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)

OUTPUT = os.environ["TUS_CELERY_OUTPUT"]


@app.task(bind=True, name=os.environ["TUS_CELERY_TASK"])
def record(self, *args, **kwargs):
    hook = args[0] if args else next(iter(kwargs.values()), None)
    upload = hook["Event"]["Upload"]
    received = {
        "task_id": self.request.id,
        "root_id": self.request.root_id,
        "parent_id": self.request.parent_id,
        "retries": self.request.retries,
        "task": self.name,
        "args_count": len(args),
        "kwargs_keys": sorted(kwargs),
        "routing_key": (self.request.delivery_info or {}).get("routing_key"),
        "event_id": hook["EventId"],
        "type": hook["Type"],
        "upload_id": upload["ID"],
        "size": upload["Size"],
        "metadata": upload["MetaData"],
        "hook": hook,
    }
    path = os.path.join(OUTPUT, self.request.id + ".json")
    with open(path + ".tmp", "w", encoding="utf-8") as file:
        json.dump(received, file, ensure_ascii=False)
    os.replace(path + ".tmp", path)
