"""What differs between Radarr, Sonarr and Lidarr, as one small table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ArrKind:
    name: str  # "Radarr"
    api_prefix: str  # "/api/v3"
    app_name: str  # what system/status calls itself
    media_id_field: str  # the queue record's field a search command takes
    search_command: str
    search_ids_field: str
    import_command: str
    include_unknown_param: str


KINDS: dict[str, ArrKind] = {
    "Radarr": ArrKind(
        name="Radarr",
        api_prefix="/api/v3",
        app_name="Radarr",
        media_id_field="movieId",
        search_command="MoviesSearch",
        search_ids_field="movieIds",
        import_command="DownloadedMoviesScan",
        include_unknown_param="includeUnknownMovieItems",
    ),
    "Sonarr": ArrKind(
        name="Sonarr",
        api_prefix="/api/v3",
        app_name="Sonarr",
        media_id_field="episodeId",
        search_command="EpisodeSearch",
        search_ids_field="episodeIds",
        import_command="DownloadedEpisodesScan",
        include_unknown_param="includeUnknownSeriesItems",
    ),
    "Lidarr": ArrKind(
        name="Lidarr",
        api_prefix="/api/v1",
        app_name="Lidarr",
        media_id_field="albumId",
        search_command="AlbumSearch",
        search_ids_field="albumIds",
        import_command="DownloadedAlbumsScan",
        include_unknown_param="includeUnknownArtistItems",
    ),
}
