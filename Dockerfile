# The production image: the web (gunicorn), worker and beat processes of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz subsetting) and fonts for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
# collectstatic reads settings, which need production values; these exist only at build time.
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret-0123456789-abcdefghijklmnop ALLOWED_HOSTS=build \
    DATABASE_URL= REDIS_URL= EMAIL_URL=consolemail:// STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput \
    && python -m delegation.syscheck \
    && mkdir -p /app/var/media && chown -R app:app /app/var

USER app
ENV DEBUG=0 STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/app/var/media PORT=8000
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "delegation.wsgi"]
