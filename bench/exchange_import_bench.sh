#!/usr/bin/env bash
# Import of a 10,000-row Shopify product CSV (2,500 products x 4 size variants, barcodes,
# prices, costs, quantities) into an empty shop through `backroom items import --format
# shopify`: parse, check, create 12,500 items and 10,000 opening-stock movements in one
# transaction. Usage: bench/exchange_import_bench.sh [path/to/backroom] (default build/backroom).
set -euo pipefail
BIN=${1:-$(dirname "$0")/../build/backroom}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 - "$DIR/products.csv" <<'PY'
import csv, sys
def gtin(body):
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - s % 10) % 10)
cols = ["Handle","Title","Body (HTML)","Vendor","Product Category","Type","Tags","Published","Option1 Name","Option1 Value",
        "Option2 Name","Option2 Value","Option3 Name","Option3 Value","Variant SKU","Variant Grams","Variant Inventory Tracker",
        "Variant Inventory Qty","Variant Inventory Policy","Variant Fulfillment Service","Variant Price","Variant Compare At Price",
        "Variant Requires Shipping","Variant Taxable","Variant Barcode","Image Src","Image Position","Image Alt Text","Gift Card",
        "SEO Title","SEO Description","Variant Image","Variant Weight Unit","Variant Tax Code","Cost per item","Status"]
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(cols)
    n = 0
    for p in range(2500):
        for i, size in enumerate(["S", "M", "L", "XL"]):
            row = dict.fromkeys(cols, "")
            row.update({"Handle": f"product-{p}", "Option1 Value": size, "Variant SKU": f"P{p}-{size}",
                        "Variant Inventory Qty": str((p + i) % 17), "Variant Price": f"{10 + p % 50}.{i}9",
                        "Variant Barcode": gtin(f"50{n:010d}"), "Cost per item": "4.25", "Variant Taxable": "TRUE"})
            if i == 0:
                row.update({"Title": f"Product {p}", "Body (HTML)": "<p>Cotton, washed</p>", "Vendor": "Bench",
                            "Type": "Shirts", "Published": "TRUE", "Option1 Name": "Size", "Status": "active"})
            w.writerow([row[c] for c in cols])
            n += 1
PY
"$BIN" init --db "$DIR/shop.db" --admin-password bench-password-123 >/dev/null
start=$(date +%s.%N)
"$BIN" items import --db "$DIR/shop.db" --format shopify "$DIR/products.csv"
end=$(date +%s.%N)
echo "10000 Shopify rows imported in $(python3 -c "print(f'{$end - $start:.2f}')") s"
