import { render } from "preact";
import { PortalApi } from "./api";
import { Portal } from "./Portal";
import "./portal.css";

render(<Portal api={new PortalApi()} />, document.getElementById("portal")!);
