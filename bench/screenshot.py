"""Save a PNG of a console page with headless Chromium (for the README).

Usage: python bench/screenshot.py URL OUT.png [--width 1280] [--height 1000]
"""

from __future__ import annotations

import argparse
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    options = Options()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={args.width},{args.height}")
    driver = webdriver.Chrome(
        options=options, service=Service(shutil.which("chromedriver") or "chromedriver")
    )
    try:
        driver.get(args.url)
        driver.save_screenshot(args.out)
    finally:
        driver.quit()
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
