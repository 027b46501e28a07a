# The qbitrr-tui engine in a container (no dashboard): `run --headless`, non-root.
#
#   docker build -t qbitrr-tui .
#   docker run -d --name qbitrr-tui \
#     -v ./config:/config -v qbitrr-data:/data -p 127.0.0.1:6970:6970 qbitrr-tui
#
# /config/config.toml is the config (a starter one is written on first start, then the
# container stops: edit it and start again). /data holds the database and the log file.
# To reach the API from outside the container, [WebAPI] must listen on 0.0.0.0, which
# needs a Token (the engine refuses to start otherwise); /health never needs one.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY qbitrr_tui ./qbitrr_tui
RUN pip install '.[notify]' && rm -rf /src

RUN useradd --system --uid 1000 --home-dir /data --shell /usr/sbin/nologin qbitrr \
    && mkdir -p /config /data && chown qbitrr:qbitrr /config /data
USER qbitrr
WORKDIR /data

ENV QBITRR_CONFIG=/config/config.toml \
    QBITRR_DATA_FOLDER=/data \
    XDG_STATE_HOME=/data/state \
    HOME=/data
VOLUME ["/config", "/data"]
EXPOSE 6970

# /health answers without a token while the engine runs. The container expects the API on
# its port 6970 ([WebAPI] Enabled = true, Host = "0.0.0.0", Port = 6970, Token = "…");
# map it elsewhere with -p. Without the API the check fails: the container shows unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:6970/health', timeout=4)"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["qbitrr-tui"]
CMD ["run", "--headless"]
