import { render } from "preact";
import { Api } from "./api/client";
import { App } from "./App";
import "./styles.css";

render(<App api={new Api()} />, document.getElementById("app")!);
