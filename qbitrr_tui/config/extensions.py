"""The file extensions an Arr's downloads keep when FileExtensionAllowlist is unset."""

from __future__ import annotations

VIDEO_EXTENSIONS = (
    ".mkv",
    ".mp4",
    ".m4v",
    ".avi",
    ".mov",
    ".wmv",
    ".mpg",
    ".mpeg",
    ".ts",
    ".m2ts",
    ".webm",
    ".srt",
    ".sub",
    ".idx",
    ".ass",
    ".ssa",
    ".sup",
    ".vtt",
)
AUDIO_EXTENSIONS = (
    ".flac",
    ".mp3",
    ".m4a",
    ".m4b",
    ".aac",
    ".ogg",
    ".opus",
    ".wav",
    ".alac",
    ".ape",
    ".wv",
    ".aiff",
    ".dsf",
    ".cue",
    ".log",
    ".jpg",
    ".png",
)
ALWAYS_ALLOWED_EXTENSIONS = (".!qB", ".parts")


def default_extensions(kind: str) -> tuple[str, ...]:
    return AUDIO_EXTENSIONS if kind == "Lidarr" else VIDEO_EXTENSIONS
