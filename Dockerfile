# The Cluebench image: web server and CPU/LLM workers. The GPU worker extends it (see docker-compose.yml).
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=frontend /app/frontend/dist ./frontend/dist
ENV PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    CLUEBENCH_VAR_DIR=/data/var \
    CLUEBENCH_MEDIA_ROOT=/data/media \
    CLUEBENCH_STATIC_ROOT=/app/staticfiles
RUN mkdir -p /data/var /data/media \
 && DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--timeout", "120"]
