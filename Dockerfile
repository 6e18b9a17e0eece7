# The missions example on gunicorn, as `python3 dev.py serve` runs it (docs/deployment.md, "A container").
#   docker build -t cruddy-missions .
#   docker run --rm -p 8000:8000 cruddy-missions                   # SQLite in /data, the demo data
#   docker run --rm -p 8000:8000 -e DATABASE_URL=postgres://app:secret@db:5432/missions cruddy-missions
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The package first, so that changing the example does not reinstall the dependencies.
COPY pyproject.toml README.md LICENSE ./
COPY cruddy_django ./cruddy_django
RUN pip install ".[serve,postgres]"

COPY manage.py ./
COPY example_project ./example_project
# The browsable API's and Swagger UI's files, served by WhiteNoise from the image.
RUN python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 10001 app && mkdir /data && chown app /data
USER app

ENV DJANGO_SETTINGS_MODULE=example_project.settings \
    DATABASE_URL=sqlite:////data/db.sqlite3 \
    DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1 \
    BIND=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/_health/', timeout=2)"

# The example resets its demo data at each start, like `dev.py serve`; a real project runs
# `python manage.py migrate --noinput` here instead (or as a release step before the new containers start).
CMD ["sh", "-c", "python manage.py reset_demo && exec gunicorn --config example_project/gunicorn.conf.py example_project.wsgi"]
