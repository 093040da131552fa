"""Default 文号 type codes."""

# 文号 type codes (机关代字 + 类型代字), GB/T 9704 style; override with ANJUAN_DOC_TYPE_CODES.
DEFAULT_DOC_TYPE_CODES: dict[str, str] = {
    "01": "核",
    "02": "批",
    "03": "审",
    "04": "通",
    "05": "送",
    "06": "纲",
    "07": "记",
    "08": "改",
    "09": "账",
    "10": "验",
    "11": "合",
    "12": "罚告",
}
