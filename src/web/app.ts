// The web UI's entry point: defines <enigm-app>, which index.html already contains.
import "./components/enigm-app.ts";
