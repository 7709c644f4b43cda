"""Write the validated registry out in WGS-84: CSV for Excel users, GeoJSON (RFC 7946) for GIS tools."""

from __future__ import annotations

import io
import json
import math

import pandas as pd

from servicemap.registry import COLUMNS

# Excel in China opens a CSV as GBK unless it starts with a UTF-8 byte-order mark.
UTF8_BOM = "\ufeff"
# A cell starting with one of these is run as a formula by Excel/WPS (CSV/formula injection, OWASP);
# a leading apostrophe makes the spreadsheet show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_COLUMNS = ("lat", "lon", "beds")


def neutralise_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_frame(sites: pd.DataFrame) -> pd.DataFrame:
    """export_frame with every text cell safe to open in Excel or WPS."""
    frame = export_frame(sites)
    for column in frame.columns:
        if column not in NUMERIC_COLUMNS:
            frame[column] = frame[column].map(neutralise_formula)
    return frame


def export_frame(sites: pd.DataFrame) -> pd.DataFrame:
    """The registry columns with lat/lon in WGS-84 and crs saying so (blank where unplaced)."""
    frame = sites.loc[:, list(COLUMNS)].copy()
    # Plain strings, not categoricals: exports write values, and formula-neutralising must be able to edit them.
    frame = frame.astype({c: "object" for c in COLUMNS if c not in ("lat", "lon", "beds")})
    placed = frame["lat"].notna()
    frame["crs"] = placed.map({True: "WGS84", False: ""})
    frame["beds"] = frame["beds"].astype("object").where(frame["beds"].notna(), "")
    for column in ("lat", "lon"):
        frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else f"{v:.7f}".rstrip("0").rstrip("."))
    return frame


def to_csv_text(sites: pd.DataFrame) -> str:
    """CSV text (UTF-8, BOM first) ready to write or download."""
    buffer = io.StringIO()
    spreadsheet_frame(sites).to_csv(buffer, index=False, lineterminator="\r\n")
    return UTF8_BOM + buffer.getvalue()


def to_xlsx_bytes(sites: pd.DataFrame, sheet_name: str = "养老服务资源") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        spreadsheet_frame(sites).to_excel(writer, index=False, sheet_name=sheet_name)
    return buffer.getvalue()


def to_geojson(sites: pd.DataFrame) -> dict:
    """An RFC 7946 FeatureCollection (lon, lat order). Unplaced sites get a null geometry, so none is lost."""
    features = []
    for record in export_frame(sites).to_dict(orient="records"):
        lat, lon = record.pop("lat"), record.pop("lon")
        record.pop("crs")
        geometry = None
        if lat != "":
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        properties = {k: ("" if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
        features.append({"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def to_geojson_text(sites: pd.DataFrame) -> str:
    return json.dumps(to_geojson(sites), ensure_ascii=False, indent=1)
