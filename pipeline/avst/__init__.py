"""R-AVST engines: UnAV-100 annotations, video filtering, audibility analysis and the QA templates.

Plain Python (no Django): functions over paths and dataclasses, called by the Celery tasks and the tests.
"""
