#!/usr/bin/env python3
"""The clinic web app in a real browser: headless Chromium (Debian's chromium and chromium-driver)
driven by Selenium. Uploads S1, sees Spravato with "PA criteria met", opens the pre-check, submits
the save-to-watchlist form, prints the pre-check to PDF and counts its pages, and checks every page
with axe-core (no serious or critical violations).

Usage: browser_test.py BASE_URL PROFILE_YAML OUTPUT_DIR [--screenshot FILE]
"""
import base64
import os
import subprocess
import sys

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, profile, out = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
screenshot = sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
driver.set_page_load_timeout(60)


def wait(condition, seconds=15):
    """True once `condition(driver)` holds, False after `seconds` (a click navigates asynchronously)."""
    try:
        WebDriverWait(driver, seconds).until(condition)
        return True
    except Exception:
        return False


def accessible(name):
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    check(not bad, f"axe: {name} has no serious or critical violations" + ("" if not bad else ": " + "; ".join(f"{v['id']} ({len(v['nodes'])})" for v in bad)))


try:
    driver.get(base + "/")
    check("Upload a patient" in driver.page_source and "FHIR records" in driver.page_source, "the patient page offers an upload of a profile or FHIR records")
    accessible("patient page")
    driver.find_element(By.ID, "profile").send_keys(os.path.abspath(profile))
    driver.find_element(By.CSS_SELECTOR, "form[action='/patient'] button[type=submit]").click()
    check(wait(lambda d: d.current_url.endswith("/plans")), "the upload lands on the plans page")
    accessible("plans page")

    driver.get(base + "/analysis")
    text = driver.find_element(By.TAG_NAME, "body").text
    check("Spravato" in text, "the analysis names Spravato")
    check("PA criteria met" in text, "the analysis says PA criteria met")
    accessible("analysis page")
    if screenshot:
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(screenshot)

    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Spravato")
    link.click()
    wait(lambda d: "/precheck" in d.current_url)
    text = driver.find_element(By.TAG_NAME, "body").text
    check("Spravato" in text and "letter" in text.lower(), "the pre-check page has the checklist and the letter")
    accessible("pre-check page")
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False, "paperWidth": 8.5, "paperHeight": 11})
    path = os.path.join(out, "precheck.pdf")
    with open(path, "wb") as handle:
        handle.write(base64.b64decode(pdf["data"]))
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    pages = next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 0)
    check(pages >= 1, f"the pre-check prints to PDF ({pages} pages)")

    driver.find_element(By.ID, "label").clear()
    driver.find_element(By.ID, "label").send_keys("browser-s1")
    driver.find_element(By.CSS_SELECTOR, "form[action='/watchlist'] button[type=submit]").click()
    wait(lambda d: "Saved as" in d.page_source or "problem" in d.page_source.lower())
    check("Saved as browser-s1" in driver.page_source, "the save-to-watchlist form is accepted" + ("" if "Saved as browser-s1" in driver.page_source else ": " + driver.find_element(By.TAG_NAME, "body").text[:400]))
    accessible("watchlist page")
    driver.get(base + "/status")
    check("Snapshots" in driver.page_source, "the data status page lists snapshots")
    accessible("data status page")
    driver.get(base + "/compare")
    check("Plan comparison" in driver.page_source or "comparison" in driver.page_source.lower(), "the comparison page renders")
finally:
    driver.quit()

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
